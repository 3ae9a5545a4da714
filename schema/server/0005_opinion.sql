-- The visitor's one-tap opinion, flattened into its visit's fact: the face
-- tapped (`very_dissatisfied` … `very_satisfied`) and the answer to « Avez-vous
-- dû répéter votre situation ? » (1 yes, 0 no). NULL: not given.
ALTER TABLE visit_fact ADD COLUMN satisfaction TEXT;
ALTER TABLE visit_fact ADD COLUMN repeated_situation INTEGER;

// « Déclaration d'accessibilité », as RGAA 4.1 asks of a public service's
// software: the state of conformity, what was tested and how, what remains,
// and how to report a barrier. Kept beside the code it describes.
export function AccessibilityStatement() {
  return (
    <section aria-labelledby="titre-accessibilite" class="statement">
      <h2 id="titre-accessibilite">Déclaration d'accessibilité</h2>
      <details>
        <summary>Lire la déclaration (RGAA 4.1)</summary>
        <p>
          La mairie s'engage à rendre ses logiciels accessibles, conformément à l'article 47 de la loi n° 2005-102 du 11 février 2005.
          Cette déclaration s'applique à l'application Volant (tablette des agents d'accueil, écrans du responsable d'accueil).
        </p>
        <h3>État de conformité</h3>
        <p>
          Volant est <strong>partiellement conforme</strong> au référentiel général d'amélioration de l'accessibilité (RGAA 4.1,
          équivalent des WCAG 2.2 niveau AA) : aucun audit complet par un organisme indépendant n'a encore été mené ; les contrôles
          ci-dessous sont faits à chaque modification du logiciel.
        </p>
        <h3>Ce qui est vérifié, et avec quels outils</h3>
        <ul>
          <li>Deux moteurs automatiques sur chaque écran, aux deux formats de tablette (1280×800 et 800×1280) : axe-core et IBM Equal Access (règles WCAG 2.2 A et AA) ; chaque alerte du second moteur est corrigée ou justifiée.</li>
          <li>Le focus : après chaque étape ou changement d'écran, il se place sur le titre du nouvel écran, ou sur le numéro du ticket dès qu'il est émis.</li>
          <li>Les confirmations (« Visite enregistrée. », réglages, visa, export) sont lues par une zone d'annonce unique et permanente ; le nombre de démarches trouvées est annoncé une fois la saisie terminée.</li>
          <li>L'agrandissement : aucun défilement horizontal à 320×640 et 640×400 (zoom à 400 % et 200 %) sur les écrans des agents et du responsable.</li>
          <li>Le clavier seul : une visite complète, de « Nouvelle visite » à « Visite enregistrée. », sans souris ; un lien d'évitement « Aller au contenu ».</li>
          <li>L'arbre d'accessibilité des étapes de la visite, comparé à une référence à chaque modification.</li>
          <li>Technologies utilisées : HTML, CSS, JavaScript (Preact), dans Chromium et dans WebKitGTK (l'application).</li>
        </ul>
        <h3>Ce qui reste à faire</h3>
        <ul>
          <li>Aucun test n'est encore fait avec un lecteur d'écran réel (NVDA, Orca, VoiceOver) : les annonces sont vérifiées dans l'arbre d'accessibilité, pas à l'oreille.</li>
          <li>Les graphiques des indicateurs sont des images : leurs valeurs sont données dans le tableau qui suit chacun.</li>
        </ul>
        <h3>Signaler un défaut</h3>
        <p>
          Un agent ou un visiteur qui ne peut pas utiliser un écran le signale au responsable d'accueil ou au service informatique de la
          mairie, qui répond sous un mois. Sans réponse satisfaisante, il peut saisir le Défenseur des droits (defenseurdesdroits.fr,
          ou par courrier gratuit : Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07).
        </p>
        <p class="hint">Déclaration établie le 1er décembre 2026.</p>
      </details>
    </section>
  );
}

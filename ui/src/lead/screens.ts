// The lead's screens, one chunk the app loads on a lead's device only (an
// agent tablet never parses them, nor their charts).
export { CatalogueScreen, newDemarche } from "./catalogue";
export { IndicatorsScreen } from "./indicators";
export { TeamScreen } from "./team";

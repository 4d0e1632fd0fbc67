/**
 * The routes of the pages a rebuild can copy from the last site it built
 * (src/site/page-keys.ts): a chart-week permalink is `program/chart/week`, as
 * in the image manifest, and a week page `weeks/<week>` (two parts, so never
 * a chart-week route).
 */

/** A week page's route. */
export function weekPageRoute(week: string): string {
  return `weeks/${week}`;
}

/** Whether a route is a week page's (else it is a chart-week permalink's). */
export function isWeekPageRoute(route: string): boolean {
  const parts = route.split('/');
  return parts.length === 2 && parts[0] === 'weeks';
}

/** The page file of a route, in the site folder without the base path (src/site/urls.ts chartWeekPath and weekPath). */
export function pageFileOfRoute(route: string): string {
  return isWeekPageRoute(route) ? `${route}/index.html` : `charts/${route}/index.html`;
}

/**
 * The files beside a chart-week permalink's page that are made from the same
 * inputs as the page (src/site/files.ts, src/site/urls.ts chartWeekFile and
 * chartWeekBreakdownPath): its .csv, .json, .svg and .png, and its
 * breakdowns.csv when it has one. None for a week page's route.
 */
export function chartWeekFilesOfRoute(route: string): string[] {
  if (isWeekPageRoute(route)) return [];
  return ['csv', 'json', 'svg', 'png'].map((ext) => `charts/${route}.${ext}`).concat(`charts/${route}/breakdowns.csv`);
}

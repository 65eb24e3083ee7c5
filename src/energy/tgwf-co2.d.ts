/**
 * @tgwf/co2 ships no type declarations. We import only the Ember annual averages from its
 * `./data` entry (not the root, which also pulls the hosting checker and the SWD models), so
 * the bundler keeps one 3 KB table and drops the Electricity Maps yearly files.
 */
declare module '@tgwf/co2/data' {
  export const averageIntensity: { data: Record<string, number>; type: 'average' };
}

// site-power-failure: POWER-FAIL at a site. Explains whatever the site's nodes then lose.
import { iso } from '../../model.js';
import { R, type Rule } from '../types.js';

export const sitePowerFailure: Rule = {
  kind: 'site-power-failure',
  triggers: ['POWER-FAIL'],
  match(a, ctx) {
    const g = ctx.graph;
    const site = g.nodes.get(a.node)?.site ?? g.equipment.get(a.node)?.site ?? null;
    const nodes = site ? [...g.nodesOfSite(site)] : [a.node];
    const battery = site ? g.sites.get(site)?.batteryMinutes : undefined;
    const until = battery != null ? a.raisedAt + battery * 60_000 : null;
    return {
      kind: 'site-power-failure',
      anchor: R.power(site ?? a.node),
      root: true,
      related: [],
      location: { sites: site ? [site] : [], nodes },
      explains: [...(site ? [R.site(site)] : []), ...nodes.map(R.node)],
      impact: { power: [{ site: site ?? a.node, since: a.raisedAt, until }] },
      detail: {
        site: site ?? null,
        siteName: site ? (g.sites.get(site)?.name ?? null) : null,
        batteryMinutes: battery ?? null,
        powerFailAt: iso(a.raisedAt),
        batteryEndsAt: until != null ? iso(until) : null,
        nodesDown: [],
      },
    };
  },
};

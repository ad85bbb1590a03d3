/** SPEC §4.2: page and screen → at most one /import event. */
import { describe, expect, it } from 'vitest';
import type { Settings } from '../../../src/config/settings-types.js';
import type { JsonObject } from '../../../src/lib/json.js';
import { mapMessage } from '../../../src/mapping/index.js';
import { TIME_PROFILE, basePage, coreProperties, engage, expectSkipped, mapEvent, mapRecords, options } from '../../support/mapping.js';

const NONE: Partial<Settings> = { consolidatedPageCalls: false, trackAllPages: false, trackCategorizedPages: false, trackNamedPages: false };
const NAME = 'name-Pricing';
const CATEGORY = 'category-Docs';

describe.each([
  ['page', 'Page'],
  ['screen', 'Screen'],
] as const)('§4.2 %s', (type, noun) => {
  const insertId = `msg-${type}-0001`;

  /** [rule, settings, name, category, expected event name]. */
  const NAMED_EVENTS: Array<[string, Partial<Settings>, string | null, string | null, string]> = [
    ['rule 1: consolidatedPageCalls → "Loaded a X"', { consolidatedPageCalls: true }, null, null, `Loaded a ${noun}`],
    ['rule 1 wins over categorized and named', { consolidatedPageCalls: true, trackCategorizedPages: true, trackNamedPages: true }, NAME, CATEGORY, `Loaded a ${noun}`],
    ['rule 2: trackAllPages → "Loaded a X"', { trackAllPages: true }, null, null, `Loaded a ${noun}`],
    ['rule 2 wins over categorized and named', { trackAllPages: true, trackCategorizedPages: true, trackNamedPages: true }, NAME, CATEGORY, `Loaded a ${noun}`],
    ['rule 3: trackCategorizedPages and category → "Viewed {category} X"', { trackCategorizedPages: true }, null, CATEGORY, `Viewed ${CATEGORY} ${noun}`],
    ['rule 3: with name too → "Viewed {category} {name} X"', { trackCategorizedPages: true }, NAME, CATEGORY, `Viewed ${CATEGORY} ${NAME} ${noun}`],
    ['rule 3 wins over named', { trackCategorizedPages: true, trackNamedPages: true }, NAME, CATEGORY, `Viewed ${CATEGORY} ${NAME} ${noun}`],
    ['rule 4: trackNamedPages and name → "Viewed {name} X"', { trackNamedPages: true }, NAME, CATEGORY, `Viewed ${NAME} ${noun}`],
    ['rule 4 applies when categorized has no category', { trackCategorizedPages: true, trackNamedPages: true }, NAME, null, `Viewed ${NAME} ${noun}`],
  ];

  it.each(NAMED_EVENTS)(`§4.2 ${type} %s`, (_rule, flags, name, category, event) => {
    const raw = basePage(type, { ...(name !== null && { name }), ...(category !== null && { category }) });
    expect(mapEvent(raw, options({ ...NONE, ...flags }))).toEqual({
      event,
      properties: coreProperties({ $insert_id: insertId, ...(name !== null && { name }), ...(category !== null && { category }) }),
    });
  });

  it(`§4.2 ${type} rule 1: consolidatedPageCalls is on by default (§3)`, () => {
    expect(mapEvent(basePage(type, { name: NAME }), options()).event).toBe(`Loaded a ${noun}`);
  });

  /** [rule, settings, message overrides]. */
  const SKIPPED: Array<[string, Partial<Settings>, JsonObject]> = [
    ['no page option is on', {}, { name: NAME, category: CATEGORY }],
    ['trackCategorizedPages without a category', { trackCategorizedPages: true }, { name: NAME }],
    ['trackNamedPages without a name', { trackNamedPages: true }, { category: CATEGORY }],
    ['trackCategorizedPages with an empty-string category (§4.8)', { trackCategorizedPages: true }, { category: '', name: NAME }],
    ['trackNamedPages with an empty-string name (§4.8)', { trackNamedPages: true }, { name: '' }],
    ['trackNamedPages with a null name', { trackNamedPages: true }, { name: null }],
  ];

  it.each(SKIPPED)(`§4.2 rule 5: ${type} skipped ("no page option matches") when %s`, (_rule, flags, overrides) => {
    expectSkipped(mapMessage(basePage(type, overrides), options({ ...NONE, ...flags })), 'no page option matches');
  });

  it(`§4.2 ${type} properties are the track mapping plus name and category`, () => {
    const raw = basePage(type, {
      name: NAME,
      category: CATEGORY,
      properties: { url: 'https://shop.example.com/pricing', title: 'title-Pricing' },
      context: { ip: '203.0.113.9', os: { name: 'os-name-ios', version: 'os-version-17.2' }, library: { name: 'lib-analytics-ios' } },
    });
    expect(mapEvent(raw)).toEqual({
      event: `Loaded a ${noun}`,
      properties: coreProperties({
        $insert_id: insertId,
        url: 'https://shop.example.com/pricing',
        title: 'title-Pricing',
        ip: '203.0.113.9',
        mp_lib: 'Segment: lib-analytics-ios',
        $os: 'os-name-ios',
        $os_version: 'os-version-17.2',
        name: NAME,
        category: CATEGORY,
      }),
    });
  });

  it.each<[string, JsonObject, JsonObject]>([
    ['name only', { name: NAME }, { name: NAME }],
    ['category only', { category: CATEGORY }, { category: CATEGORY }],
    ['neither', {}, {}],
    ['empty-string name and category count as absent (§4.8)', { name: '', category: '' }, {}],
  ])(`§4.2 ${type} with %s: name and category are added only when set`, (_name, overrides, added) => {
    expect(mapEvent(basePage(type, overrides)).properties).toEqual(coreProperties({ $insert_id: insertId, ...added }));
  });

  it(`§4.2 ${type} yields exactly one event`, () => {
    const records = mapRecords(basePage(type, { name: NAME, category: CATEGORY }), options({ trackAllPages: true, trackCategorizedPages: true, trackNamedPages: true }));
    expect(records.map((r) => r.endpoint)).toEqual(['/import']);
  });

  it(`§4.2 ${type}: the resulting event name is what eventIncrements matches`, () => {
    const raw = basePage(type, { name: NAME });
    const records = mapRecords(raw, options({ ...NONE, trackNamedPages: true, people: true, eventIncrements: [`Viewed ${NAME} ${noun}`] }));
    expect(records.slice(1)).toEqual([
      engage({ $add: { [`Viewed ${NAME} ${noun}`]: 1 } }),
      engage({ $set: { [`Last Viewed ${NAME} ${noun}`]: TIME_PROFILE } }),
    ]);
  });

  it(`§4.4 ${type}: revenue gives a $transactions $append`, () => {
    const records = mapRecords(basePage(type, { properties: { revenue: 7.5 } }), options({ people: true }));
    expect(records.slice(1)).toEqual([engage({ $append: { $transactions: { $time: TIME_PROFILE, $amount: 7.5 } } })]);
  });
});

describe('§4.2 page name and category inside properties', () => {
  it('§4.2 the call name and category win over properties.name and properties.category', () => {
    const raw = basePage('page', { name: NAME, category: CATEGORY, properties: { name: 'prop-name', category: 'prop-category' } });
    expect(mapEvent(raw).properties).toEqual(coreProperties({ $insert_id: 'msg-page-0001', name: NAME, category: CATEGORY }));
  });

  it('§4.2 a page event name does not come from properties.name', () => {
    const raw = basePage('page', { properties: { name: 'prop-name' } });
    expectSkipped(mapMessage(raw, options({ ...NONE, trackNamedPages: true })), 'no page option matches');
  });
});

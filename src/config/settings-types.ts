/** Segment's Mixpanel destination settings, parsed once and fully resolved (README "Settings"). */
export interface Settings {
  readonly token: string | null;
  readonly apiSecret: string | null;
  readonly people: boolean;
  readonly setAllTraitsByDefault: boolean;
  readonly peopleProperties: readonly string[];
  readonly superProperties: readonly string[];
  readonly consolidatedPageCalls: boolean;
  readonly trackAllPages: boolean;
  readonly trackCategorizedPages: boolean;
  readonly trackNamedPages: boolean;
  readonly eventIncrements: readonly string[];
  readonly propIncrements: readonly string[];
  readonly groupIdentifierTraits: readonly string[];
  readonly groupTraitsToSetOnce: readonly string[];
  readonly enableEuropeanUnionEndpoint: boolean;
  readonly sourceName: string | null;
  // Actions settings (README "Replaying a workspace that uses Mixpanel (Actions)").
  /** `apiRegion` ("US 🇺🇸", "EU 🇪🇺", "IN 🇮🇳", or US / EU / IN), lower-cased; null when not given. */
  readonly apiRegion: 'us' | 'eu' | 'in' | null;
  /** `strictMode` "1" (default) or "0": `?strict=` on /import. */
  readonly strictMode: boolean;
  /** Actions' Order Completed mapping: one `Product Purchased` event per `products[]` item (default true). */
  readonly generatePurchaseEventPerProduct: boolean;
  /** Actions' group mapping: the group key (`group_key`); null means `$group_id`. */
  readonly groupKey: string | null;
}

/** Which of Segment's two Mixpanel destinations the mapping follows (README "Replaying a workspace that uses Mixpanel (Actions)"). */
export type Preset = 'classic' | 'actions';
export const PRESETS: readonly Preset[] = ['classic', 'actions'];

export type IdentityMode = 'original' | 'simplified';

/** Segment's Mixpanel destination settings, parsed once and fully resolved (SPEC §3). */
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
}

export type IdentityMode = 'original' | 'simplified';

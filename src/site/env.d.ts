// Astro's ambient types (import.meta.env, `?raw` imports) for the type check; a fresh clone has no generated .astro/ folder.
/// <reference types="astro/client" />

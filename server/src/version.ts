/** The console's version, reported in the User-Agent sent to Ray and in the OpenAPI document. */
export const VERSION = '0.1.0';

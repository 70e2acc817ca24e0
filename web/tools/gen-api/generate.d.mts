/** api/openapi.yaml. */
export declare const specPath: string;
/** web/src/generated/api.ts. */
export declare const outputPath: string;
export declare const STALE_MESSAGE: string;
/** The text of web/src/generated/api.ts for the openapi.yaml at spec (a path; default api/openapi.yaml). */
export declare function generate(spec?: string): Promise<string>;

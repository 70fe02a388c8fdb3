import packageJson from '../../../package.json' with { type: 'json' };

/** Product name and version recorded in every manifest and report. */
export const APP_NAME: string = packageJson.productName;
export const APP_VERSION: string = packageJson.version;

import pkg from '../../../package.json' with { type: 'json' };

/** The app version recorded with every analysis. */
export const APP_VERSION: string = pkg.version;

/** The product name on reports and evidence manifests. */
export const APP_NAME: string = pkg.productName;

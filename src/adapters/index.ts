/** The APIs the action can follow, by the names the `api` input takes. */
import type { ApiName, ApiProfile } from './adapter.js';
import { cloudPartnerPortal } from './cpp/index.js';
import { productIngestion } from './ingestion/index.js';

export const API_PROFILES: Record<ApiName, ApiProfile> = {
  'cloud-partner-portal': cloudPartnerPortal,
  'product-ingestion': productIngestion,
};

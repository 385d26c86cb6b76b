/**
 * The Partner Center product-ingestion API (a Microsoft Graph workload): what the action needs to
 * know about it, and its adapter (`adapter.ts`).
 */
import { docsUrl } from '../../core/docs.js';
import { sealed, type ApiProfile } from '../adapter.js';
import { IngestionAdapter } from './adapter.js';

const RESOURCE = 'https://graph.microsoft.com';

export const productIngestion: ApiProfile = {
  name: 'product-ingestion',
  title: 'product-ingestion API',
  resource: RESOURCE,
  defaultBaseUrl: 'https://graph.microsoft.com/rp/product-ingestion',
  defaultVersion: '2022-07-01',
  needsPublisher: false,
  guidance: {
    401:
      'The access token is missing, invalid or expired. Check the token is for the resource ' +
      `${RESOURCE} (scope ${RESOURCE}/.default) and not expired. See ${docsUrl('authentication')}.`,
    403:
      'The identity is authenticated but has no access to this Partner Center account. Add the ' +
      'Entra app in Partner Center (Account settings > User management > Microsoft Entra ' +
      'applications) with the Manager role; no Microsoft Graph API permission is needed. See ' +
      `${docsUrl('authentication')}.`,
    404:
      "Not found. Check offer-id (the product's external id) and operation-id (a configure job " +
      'id), if set.',
  },
  politeness: {
    minPollIntervalMs: 60_000,
    advice:
      'The product-ingestion API asks clients to poll a job at most once per minute; ' +
      'a poll-interval of 1m or more is kinder to it.',
  },
  create: (http, target, base) => sealed(new IngestionAdapter(http, target, base)),
};

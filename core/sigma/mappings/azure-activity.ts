/**
 * Azure Monitor Activity Log (`azure_activity`) for SigmaHQ's `product: azure, service: activitylogs` rules.
 *
 * Our `raw` holds either the diagnostic export (`operationName`, `category`, `resultType` as strings) or the
 * REST API's EventData (`operationName.value`, `category.value`, `status.value`, `resourceProviderName.value`).
 * SigmaHQ names both: `operationName` (the export) and the Log Analytics `AzureActivity` columns
 * `OperationNameValue`, `CategoryValue`, `ResourceProviderValue`, `ActivityStatusValue`. Each reads both shapes;
 * the export has no resource provider field, so `ResourceProviderValue` also reads our `service` column (the
 * provider, lower-cased by the parser; Sigma comparisons ignore case). `properties` is each operation's own object.
 */
import type { LogsourceMapping } from '../ir';
import { column, json, normalizedColumnFields } from './field-targets';
import { knownFields as activityFields } from './known-fields/azure-activity';

const knownFields = [...activityFields, 'properties.*'];

const operationName = [json('operationName'), json('operationName.value')];
const category = [json('category'), json('category.value')];
const status = [json('resultType'), json('status.value'), column('outcome')];

export const azureActivityMappings: readonly LogsourceMapping[] = [
  {
    logsource: { product: 'azure', service: 'activitylogs' },
    sources: ['azure_activity'],
    fields: {
      ...normalizedColumnFields(knownFields),
      operationName,
      OperationName: operationName,
      OperationNameValue: operationName,
      category,
      Category: category,
      CategoryValue: category,
      ResourceProviderValue: [json('resourceProviderName.value'), column('service')],
      ResourceId: [json('resourceId')],
      resultType: status,
      ActivityStatusValue: status,
      Caller: [json('caller'), column('actor')],
      CallerIpAddress: [json('callerIpAddress'), json('httpRequest.clientIpAddress'), column('src_ip')],
    },
    knownFields,
  },
];

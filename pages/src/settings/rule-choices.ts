/** The rules a suppression or maintenance window can name, for pickers and for showing ids as names. */
import { useApi } from '../api/api-client';
import type { DetectionRule } from '../api/api-types';

export interface RuleChoice {
  id: string;
  name: string;
}

export function useRuleChoices(): { choices: RuleChoice[]; nameOf: (id: string) => string } {
  const { data } = useApi<{ rules: DetectionRule[] }>('/api/rules');
  const choices = (data?.rules ?? []).map((rule) => ({ id: rule.id, name: rule.name })).sort((a, b) => a.name.localeCompare(b.name));
  const names = new Map(choices.map((choice) => [choice.id, choice.name]));
  return { choices, nameOf: (id) => names.get(id) ?? id };
}

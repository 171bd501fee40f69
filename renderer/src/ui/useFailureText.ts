// Words a store's Failure for the operator: "Could not read the site: <the engine's reason>", or
// just the reason when it already says the engine is not connected (see describeFailure).
import { useI18n } from 'vue-i18n';
import { describeFailure } from '../api/client';
import type { Failure } from '../stores/failure';

export function useFailureText(): (failure: Failure) => string {
  const { t } = useI18n();
  return (failure) => describeFailure(t(failure.doing, failure.args), failure.message);
}

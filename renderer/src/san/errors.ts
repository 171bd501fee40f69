// Engine failures in the SAN view: stores and composables keep the cause's message; components
// say what was being tried, in the UI's language, with describeFailure (which leaves a "not
// connected" message as it is).
export function messageOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

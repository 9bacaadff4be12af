// Who is asking: an app of a department, with its roles and (for local offices) its district.

export interface Requester {
  appId: string;
  name: string;
  department: string;
  roles: readonly string[];
  /** GB/T 2260 area code for apps of a district office; grants can be limited to it. */
  district: string | null;
  /** The purpose codes the app may state (`purposes` in the registry); any when absent. */
  purposes?: readonly string[];
}

/** A party that answers applications: the operator, or a provider by subgraph name. */
export type Party = 'operator' | string;

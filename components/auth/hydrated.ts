import { useSyncExternalStore } from "react";

const noop = () => () => {};

/** False in the server HTML and until React has hydrated the page, then true. The auth forms keep
 *  their submit button disabled until then: a submit before hydration would be the browser's own
 *  (a GET putting the password into the URL, history, logs and Referer). */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    noop,
    () => true,
    () => false,
  );
}

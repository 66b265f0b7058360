/** Sets the browser tab's title; React hoists <title> into the document head. */
export function DocumentTitle({ children }: { children: string }) {
  return <title>{`${children} · Scout`}</title>;
}

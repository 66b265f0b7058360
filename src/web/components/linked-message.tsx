import { useContext } from 'react';
import { Link } from 'react-router';
import { PageHrefsContext, splitPageLinks } from './page-links';

/** A message whose page names ("the Connections page", "Sign in instead?") are links to those pages. */
export function LinkedMessage({ text }: { text: string }) {
  const hrefs = useContext(PageHrefsContext);
  return (
    <>
      {splitPageLinks(text, hrefs).map((part, index) =>
        typeof part === 'string' ? (
          part
        ) : (
          <Link
            key={index}
            to={part.href}
            className="rounded-sm font-medium underline underline-offset-4 outline-none hover:decoration-2 focus-visible:ring-[3px] focus-visible:ring-ring/50"
          >
            {part.text}
          </Link>
        ),
      )}
    </>
  );
}

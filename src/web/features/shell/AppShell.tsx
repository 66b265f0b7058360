import { useEffect } from 'react';
import { Outlet } from 'react-router';
import { useMediaQuery } from '@/lib/use-media-query';
import { useAppStore } from '@/store/app-store';
import { MobileHeader } from './MobileHeader';
import { Sidebar } from './Sidebar';

/** Tailwind's `md` breakpoint: from here up the sidebar always shows. */
const WIDE_SCREEN = '(min-width: 48rem)';

/** The signed-in frame: sidebar navigation and the current page. */
export function AppShell() {
  const wide = useMediaQuery(WIDE_SCREEN);
  const setSidebarOpen = useAppStore((state) => state.setSidebarOpen);
  const domainsStatus = useAppStore((state) => state.domainsStatus);
  const fetchDomains = useAppStore((state) => state.fetchDomains);

  // Every signed-in page works on the active domain; load the list once, whatever page comes first.
  useEffect(() => {
    if (domainsStatus === 'idle') void fetchDomains();
  }, [domainsStatus, fetchDomains]);

  // A drawer left open while the window widens would reappear when it narrows again.
  useEffect(() => {
    if (wide) setSidebarOpen(false);
  }, [wide, setSidebarOpen]);

  return (
    <div className="flex min-h-svh">
      <a
        href="#main"
        className="sr-only z-50 rounded-md bg-background px-3 py-2 text-sm font-medium shadow focus:not-sr-only focus:fixed focus:top-3 focus:left-3 focus:ring-[3px] focus:ring-ring/50"
      >
        Skip to content
      </a>
      {wide && (
        <aside className="sticky top-0 h-svh w-64 shrink-0 border-r border-sidebar-border">
          <Sidebar />
        </aside>
      )}
      <div className="flex min-w-0 flex-1 flex-col">
        {!wide && <MobileHeader />}
        <main id="main" tabIndex={-1} className="flex-1 px-4 py-6 outline-none md:px-10 md:py-10">
          <div className="mx-auto w-full max-w-5xl">
            <Outlet />
          </div>
        </main>
      </div>
    </div>
  );
}

import type { StateCreator } from 'zustand';
import type { AppState } from './app-store';

export interface UiSlice {
  /** Whether the navigation drawer is open on narrow screens; wide screens always show the sidebar. */
  sidebarOpen: boolean;
  toggleSidebar: () => void;
  setSidebarOpen: (open: boolean) => void;
}

export const createUiSlice: StateCreator<AppState, [], [], UiSlice> = (set) => ({
  sidebarOpen: false,
  toggleSidebar: () => set((state) => ({ sidebarOpen: !state.sidebarOpen })),
  setSidebarOpen: (open) => set({ sidebarOpen: open }),
});

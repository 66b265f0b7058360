import { create } from 'zustand';
import { createSessionSlice, type SessionSlice } from './session-slice';
import { createUiSlice, type UiSlice } from './ui-slice';

export type AppState = SessionSlice & UiSlice;

/** The app's one client-side store, composed from one slice per concern. */
export const useAppStore = create<AppState>()((...args) => ({
  ...createSessionSlice(...args),
  ...createUiSlice(...args),
}));

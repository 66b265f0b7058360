import { create } from 'zustand';
import { createDomainSlice, type DomainSlice } from './domain-slice';
import { createSessionSlice, type SessionSlice } from './session-slice';
import { createUiSlice, type UiSlice } from './ui-slice';

export type AppState = SessionSlice & DomainSlice & UiSlice;

/** The app's one client-side store, composed from one slice per concern. */
export const useAppStore = create<AppState>()((...args) => ({
  ...createSessionSlice(...args),
  ...createDomainSlice(...args),
  ...createUiSlice(...args),
}));

import { create, type StateCreator } from 'zustand';
import type { EmergencySummary, MethodOutput, ReaderView, SessionState } from '../../../shared/contract';
import type { UiError } from '../api/errors';

export interface CardsSlice {
  readers: ReaderView[];
  setReaders(readers: ReaderView[]): void;
}

export interface SessionSlice {
  session: SessionState | null;
  setSession(session: SessionState): void;
}

export interface SummarySlice {
  summary: EmergencySummary | null;
  summaryError: UiError | null;
  summaryLoading: boolean;
  setSummary(summary: EmergencySummary | null, error?: UiError | null): void;
  setSummaryLoading(loading: boolean): void;
}

export interface AppSlice {
  appInfo: MethodOutput<'app.info'> | null;
  setAppInfo(info: MethodOutput<'app.info'>): void;
}

export type Store = CardsSlice & SessionSlice & SummarySlice & AppSlice;

const cardsSlice: StateCreator<Store, [], [], CardsSlice> = (set) => ({
  readers: [],
  setReaders: (readers) => set({ readers }),
});

const sessionSlice: StateCreator<Store, [], [], SessionSlice> = (set) => ({
  session: null,
  setSession: (session) => set({ session }),
});

const summarySlice: StateCreator<Store, [], [], SummarySlice> = (set) => ({
  summary: null,
  summaryError: null,
  summaryLoading: false,
  setSummary: (summary, error = null) => set({ summary, summaryError: error, summaryLoading: false }),
  setSummaryLoading: (summaryLoading) => set({ summaryLoading }),
});

const appSlice: StateCreator<Store, [], [], AppSlice> = (set) => ({
  appInfo: null,
  setAppInfo: (appInfo) => set({ appInfo }),
});

export const useStore = create<Store>()((...a) => ({
  ...cardsSlice(...a),
  ...sessionSlice(...a),
  ...summarySlice(...a),
  ...appSlice(...a),
}));

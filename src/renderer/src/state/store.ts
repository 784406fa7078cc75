import { create, type StateCreator } from 'zustand';
import type {
  AccessHistoryEntry,
  ConnectionStatus,
  DocumentMeta,
  EmergencySummary,
  HostStatus,
  MethodInput,
  MethodOutput,
  ReaderDisplay,
  SessionState,
} from '../../../shared/contract';
import type { UiError } from '../api/errors';

/** A remote list tied to the dossier it was loaded for, so a late answer for another patient is never shown. */
export interface Remote<T> {
  insKey: string | null;
  data: T | null;
  loading: boolean;
  error: UiError | null;
}

export const idleRemote = <T>(): Remote<T> => ({ insKey: null, data: null, loading: false, error: null });

export type DocumentFilter = NonNullable<MethodInput<'documents.list'>['filter']>;
export type WorkspaceTab = 'summary' | 'documents' | 'history' | 'management';
export type AccessCodes = MethodOutput<'dossier.create'>['accessCodes'];

export interface CardsSlice {
  readers: ReaderDisplay[];
  setReaders(readers: ReaderDisplay[]): void;
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
  /** Embedded store or shared DMP host, and whether the host answers; null until the main process says. */
  hostStatus: HostStatus | null;
  setHostStatus(status: HostStatus): void;
  /**
   * The link to the main-process services (shared/contract/connection.ts). While it is down nothing
   * shown can be trusted as current: the UI hides patient data and the card state, and disables actions.
   */
  connection: ConnectionStatus;
  setConnection(status: ConnectionStatus): void;
}

/** A summary line's « Source »: the document to open in the viewer, and the entry to mark in it. */
export interface SourceRequest {
  documentId: string;
  documentTitle: string;
  entryLabel: string;
  /** The entry's narrative anchor: the document HTML carries it as `id="cda-<anchor>"`. */
  anchor?: string;
}

export interface DossierSlice {
  documents: Remote<DocumentMeta[]>;
  documentFilter: DocumentFilter;
  history: Remote<AccessHistoryEntry[]>;
  activeTab: WorkspaceTab;
  setDocuments(documents: Remote<DocumentMeta[]>): void;
  setDocumentFilter(filter: DocumentFilter): void;
  setHistory(history: Remote<AccessHistoryEntry[]>): void;
  setActiveTab(tab: WorkspaceTab): void;
  /** Set while the documents tab shows a document opened from the summary; closing it returns to the summary. */
  sourceRequest: SourceRequest | null;
  openSource(request: SourceRequest): void;
  closeSource(): void;
  /** Forget everything loaded for the previous dossier (patient change, lock). */
  resetDossier(): void;
}

export interface CreationSlice {
  /** The access codes of the dossier created in this session, kept until the patient changes so they can be reprinted. */
  created: { insKey: string; accessCodes: AccessCodes } | null;
  setCreated(created: CreationSlice['created']): void;
}

export type Store = CardsSlice & SessionSlice & SummarySlice & AppSlice & DossierSlice & CreationSlice;

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
  hostStatus: null,
  setHostStatus: (hostStatus) => set({ hostStatus }),
  connection: { state: 'connected', attempts: 0 },
  setConnection: (connection) => set({ connection }),
});

const dossierSlice: StateCreator<Store, [], [], DossierSlice> = (set) => ({
  documents: idleRemote(),
  documentFilter: {},
  history: idleRemote(),
  activeTab: 'summary',
  setDocuments: (documents) => set({ documents }),
  setDocumentFilter: (documentFilter) => set({ documentFilter }),
  setHistory: (history) => set({ history }),
  setActiveTab: (activeTab) => set({ activeTab }),
  sourceRequest: null,
  openSource: (sourceRequest) => set({ sourceRequest, activeTab: 'documents' }),
  closeSource: () => set({ sourceRequest: null, activeTab: 'summary' }),
  resetDossier: () =>
    set({
      documents: idleRemote(),
      documentFilter: {},
      history: idleRemote(),
      activeTab: 'summary',
      sourceRequest: null,
    }),
});

const creationSlice: StateCreator<Store, [], [], CreationSlice> = (set) => ({
  created: null,
  setCreated: (created) => set({ created }),
});

export const useStore = create<Store>()((...a) => ({
  ...cardsSlice(...a),
  ...sessionSlice(...a),
  ...summarySlice(...a),
  ...appSlice(...a),
  ...dossierSlice(...a),
  ...creationSlice(...a),
}));

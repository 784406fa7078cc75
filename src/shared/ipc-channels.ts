/** The two Electron IPC channels; everything else is named by the contract. */
export const IPC_INVOKE = 'poste-dmp:invoke';
export const IPC_EVENT = 'poste-dmp:event';

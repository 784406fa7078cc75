/**
 * What the client needs of the professional's card: its authentication certificate and a signature
 * made by its private key (PKCS#11, `openCardSigner` in src/main/cards/pkcs11 — i13-card). Declared
 * here structurally so the protocol is written and tested before that module lands; the type is
 * satisfied by its `CardSigner` as is.
 */
export interface CardSigner {
  certificatePem(): Promise<string>;
  sign(data: Uint8Array): Promise<Uint8Array>;
  close(): Promise<void>;
}

/**
 * A card as a reader sees it. Implemented by the emulator's card OS (declarative profiles) and by
 * test doubles; plugged into the in-process simulated transport or into pcscd through vpcd.
 */
export interface VirtualCard {
  readonly atr: Uint8Array;
  /** Power-on, power-off and reset clear the security state, the current file and pending responses. */
  powerOn(): void;
  powerOff(): void;
  reset(): void;
  /** One C-APDU in, one R-APDU (data + SW1 SW2) out. Never throws: malformed input gets an error SW. */
  transmit(apdu: Uint8Array): Uint8Array;
}

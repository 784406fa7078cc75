#!/usr/bin/env python3
"""
Independent Carte Vitale 2 emulator for vpcd (pcscd's virtual reader), Python 3 stdlib only.

Written from the public layout (docs: cards brief sections 1.1, 2 and 3: Cardpeek / Rufus
observations, ISO 7816-4, vsmartcard's socket protocol), deliberately NOT from the project's
TypeScript emulator, so that decoding it proves our reader works on a card someone else built.

    independent-vitale.py [--host 127.0.0.1] [--port 35963] [--timeout 15]
                          [--beneficiary "NOM;PRENOM;YYYYMMDD;NIR"]...

Connecting to vpcd inserts the card; exiting (SIGTERM/SIGINT) removes it. Prints "connected" on
stdout once the TCP connection is up. Synthetic data only: never put a real person's NIR here.
"""

import argparse
import signal
import socket
import struct
import sys
import time

ATR = bytes.fromhex("3B 75 13 00 00 47 09 EA 90 00")
AID_VITALE = bytes.fromhex("D2 50 00 00 02 56 49 54 41 4C 45")  # "VITALE"
AID_MF_VITALE = bytes.fromhex("D2 50 00 00 02 4D 46 5F 56 49 54 41 4C 45")  # "MF_VITALE"
MF = b"\x3f\x00"

SW_OK = b"\x90\x00"
SW_EOF = b"\x62\x82"
SW_WRONG_LENGTH = b"\x67\x00"
SW_NO_CURRENT_EF = b"\x69\x86"
SW_CONDITIONS = b"\x69\x85"
SW_NOT_FOUND = b"\x6a\x82"
SW_WRONG_P1P2 = b"\x6b\x00"
SW_INS = b"\x6d\x00"
SW_CLA = b"\x6e\x00"


def ber_length(n):
    if n < 0x80:
        return bytes([n])
    if n < 0x100:
        return bytes([0x81, n])
    return bytes([0x82, n >> 8, n & 0xFF])


def tlv(tag, value):
    return bytes([tag]) + ber_length(len(value)) + value


def identity_file(beneficiaries):
    """One constructed 65 per beneficiary: 80 nom, 81 prenom, 82 YYYYMMDD, 93 NIR; zero padded."""
    body = b""
    for last, first, birth, nir in beneficiaries:
        inner = (
            tlv(0x80, last.encode("ascii"))
            + tlv(0x81, first.encode("ascii"))
            + tlv(0x82, birth.encode("ascii"))
            + tlv(0x93, nir.encode("ascii"))
        )
        body += tlv(0x65, inner)
    # Real files are fixed-size and zero padded; > 256 bytes forces a second READ BINARY.
    return body + b"\x00" * max(16, 300 - len(body))


def nir_file(beneficiaries):
    return tlv(0x93, beneficiaries[0][3].encode("ascii")) + b"\x00" * 32


class Vitale2:
    def __init__(self, beneficiaries):
        # (directory, SFI) -> transparent EF content
        self.files = {
            ("MF", 2): identity_file(beneficiaries),
            ("VITALE", 2): nir_file(beneficiaries),
        }
        self.reset()

    def reset(self):
        self.df = "MF"
        self.ef = None

    def answer(self, apdu):
        if len(apdu) < 4:
            return SW_WRONG_LENGTH
        cla, ins, p1, p2 = apdu[0], apdu[1], apdu[2], apdu[3]
        if cla != 0x00:
            return SW_CLA
        if ins == 0xA4:
            return self.select(p1, apdu[5 : 5 + apdu[4]] if len(apdu) > 4 else b"")
        if ins == 0xB0:
            le = apdu[4] if len(apdu) > 4 else 0
            return self.read_binary(p1, p2, 256 if le == 0 else le)
        if ins == 0xC0:
            return SW_CONDITIONS  # nothing pending: this card always answers in one go
        return SW_INS

    def select(self, p1, data):
        if p1 == 0x00 and data == MF:
            self.df, self.ef = "MF", None
            return SW_OK
        if p1 == 0x04 and data == AID_VITALE:
            self.df, self.ef = "VITALE", None
            return SW_OK
        if p1 == 0x04 and data == AID_MF_VITALE:
            self.df, self.ef = "MF", None
            return SW_OK
        return SW_NOT_FOUND

    def read_binary(self, p1, p2, le):
        if p1 & 0x80:
            key = (self.df, p1 & 0x1F)
            if key not in self.files:
                return SW_NOT_FOUND
            self.ef = key
            offset = p2
        else:
            if self.ef is None:
                return SW_NO_CURRENT_EF
            offset = ((p1 << 8) | p2) & 0x7FFF
        content = self.files[self.ef]
        if offset > len(content):
            return SW_WRONG_P1P2
        chunk = content[offset : offset + le]
        return chunk + (SW_EOF if len(chunk) < le else SW_OK)


def recv_exact(sock, n):
    data = b""
    while len(data) < n:
        part = sock.recv(n - len(data))
        if not part:
            raise ConnectionError("vpcd closed the connection")
        data += part
    return data


def serve(sock, card):
    while True:
        (length,) = struct.unpack(">H", recv_exact(sock, 2))
        message = recv_exact(sock, length) if length else b""
        if length == 1:
            control = message[0]
            if control in (0x00, 0x01, 0x02):  # power off / on / reset: no reply
                card.reset()
                continue
            if control == 0x04:
                reply = ATR
            else:
                continue
        else:
            reply = card.answer(message)
        sock.sendall(struct.pack(">H", len(reply)) + reply)


def connect(host, port, timeout):
    deadline = time.monotonic() + timeout
    delay = 0.05
    while True:
        try:
            return socket.create_connection((host, port), timeout=2)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.5)


def parse_beneficiary(text):
    parts = text.split(";")
    if len(parts) != 4 or len(parts[2]) != 8 or not parts[2].isdigit() or len(parts[3]) != 15:
        raise argparse.ArgumentTypeError("attendu NOM;PRENOM;AAAAMMJJ;NIR(15)")
    return tuple(parts)


def main():
    parser = argparse.ArgumentParser(description="Independent Vitale 2 emulator for vpcd")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=35963)
    parser.add_argument("--timeout", type=float, default=15.0)
    parser.add_argument("--beneficiary", type=parse_beneficiary, action="append")
    args = parser.parse_args()
    beneficiaries = args.beneficiary or [("MARTIN", "CLAIRE", "19790300", "279035121518989")]

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    card = Vitale2(beneficiaries)
    try:
        sock = connect(args.host, args.port, args.timeout)
    except OSError as error:
        print(f"vpcd injoignable sur {args.host}:{args.port} ({error}) : pcscd est-il lancé ?", file=sys.stderr)
        sys.exit(1)
    sock.settimeout(None)
    print("connected", flush=True)
    try:
        serve(sock, card)
    except (ConnectionError, KeyboardInterrupt):
        pass
    finally:
        sock.close()


if __name__ == "__main__":
    main()

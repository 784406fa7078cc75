import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';

export interface AccessCodesLetter {
  /** As it should be printed: "Prénom NOM". */
  patientName: string;
  birthDate: string;
  /** Shown partly masked: the sheet may be left lying around. */
  matricule: string;
  login: string;
  oneTimeCode: string;
  /** ISO date-time the code stops working. */
  validUntil: string;
  issuedAt: string;
  issuedBy: string;
}

const A4: [number, number] = [595.28, 841.89];
const margin = 56;

/** Characters the standard Helvetica (WinAnsi) can draw; anything else is replaced, never thrown on. */
function printable(text: string): string {
  return [...text.normalize('NFC')]
    .map((ch) => {
      const code = ch.codePointAt(0) ?? 0;
      if ((code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || '’‘“”–—€œŒ…'.includes(ch))
        return ch;
      const base = ch.normalize('NFD').replace(/\p{Diacritic}/gu, '');
      return /^[\x20-\x7e]+$/.test(base) ? base : '?';
    })
    .join('');
}

function frenchDate(iso: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return match ? `${match[3]}/${match[2]}/${match[1]}` : iso;
}

function maskedMatricule(matricule: string): string {
  return `${matricule.slice(0, 1)} ${'*'.repeat(Math.max(0, matricule.length - 5))} ${matricule.slice(-4)}`;
}

class Writer {
  private y = A4[1] - margin;
  constructor(
    private readonly page: PDFPage,
    private readonly regular: PDFFont,
    private readonly bold: PDFFont,
  ) {}

  line(text: string, options: { size?: number; bold?: boolean; gap?: number } = {}): void {
    const size = options.size ?? 11;
    const font = options.bold ? this.bold : this.regular;
    for (const chunk of this.wrap(printable(text), font, size)) {
      this.page.drawText(chunk, { x: margin, y: this.y, size, font, color: rgb(0.1, 0.1, 0.1) });
      this.y -= size * 1.4;
    }
    this.y -= options.gap ?? 2;
  }

  space(points: number): void {
    this.y -= points;
  }

  private wrap(text: string, font: PDFFont, size: number): string[] {
    const width = A4[0] - 2 * margin;
    const lines: string[] = [];
    let current = '';
    for (const word of text.split(' ')) {
      const candidate = current ? `${current} ${word}` : word;
      if (font.widthOfTextAtSize(candidate, size) > width && current) {
        lines.push(current);
        current = word;
      } else current = candidate;
    }
    lines.push(current);
    return lines;
  }
}

/**
 * The one-page sheet handed to a patient who has neither phone nor e-mail on file (hl_createDmpAndOtp
 * prints it instead of sending). The code is drawn into the page and nowhere else: the caller keeps
 * only its hash.
 */
export async function accessCodesPdf(letter: AccessCodesLetter): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle('Mon espace santé — vos codes d’accès');
  pdf.setLanguage('fr-FR');
  pdf.setCreator('Poste DMP');
  const page = pdf.addPage(A4);
  const w = new Writer(
    page,
    await pdf.embedFont(StandardFonts.Helvetica),
    await pdf.embedFont(StandardFonts.HelveticaBold),
  );

  w.line('Mon espace santé', { size: 20, bold: true });
  w.line('Vos codes d’accès à votre Dossier Médical Partagé (DMP)', { size: 13, bold: true, gap: 14 });

  w.line('Titulaire', { bold: true });
  w.line(letter.patientName);
  w.line(
    `Né(e) le ${frenchDate(letter.birthDate)} — n° de sécurité sociale ${maskedMatricule(letter.matricule)}`,
    { gap: 14 },
  );

  w.line('Identifiant', { bold: true });
  w.line(letter.login, { size: 16, bold: true, gap: 8 });
  w.line('Code d’accès provisoire (à usage unique)', { bold: true });
  w.line(letter.oneTimeCode, { size: 16, bold: true });
  w.line(
    `Ce code est valable 6 semaines, jusqu’au ${frenchDate(letter.validUntil)}. Il ne peut servir qu’une fois.`,
    { gap: 14 },
  );

  w.line('Comment activer votre espace', { bold: true });
  w.line('1. Rendez-vous sur monespacesante.fr et choisissez « Activer mon profil ».');
  w.line(
    '2. Saisissez le code provisoire ci-dessus, votre numéro de sécurité sociale et le numéro de série de votre carte Vitale.',
  );
  w.line('3. Choisissez ensuite comment recevoir vos prochains codes de connexion (SMS ou courriel).');
  w.line(
    'Vous pourrez y consulter vos documents, l’historique des accès à votre dossier, et bloquer un professionnel ou masquer un document.',
    { gap: 14 },
  );

  w.line(
    'Conservez ce document en lieu sûr et ne le communiquez à personne. Aucun professionnel ne vous demandera ce code.',
    { bold: true, gap: 14 },
  );
  w.space(20);
  w.line(`Remis le ${frenchDate(letter.issuedAt)} par ${letter.issuedBy}.`, { size: 9 });

  return pdf.save();
}

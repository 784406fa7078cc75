import {
  createVirtualCard,
  parseCardProfile,
  type CardProfile,
  type VirtualCard,
} from '../../src/main/cards/emulator';
import type { DfSpec, EfSpec, TlvSpec } from '../../src/main/cards/emulator/profile';
import type { PersonIdentity } from '../../src/main/population/households';

const IDENTITY_EF = '0002';
const NIR_EF = '2002';

/**
 * A Vitale for one generated person, cloned from a real-layout profile (e.g. `vitale-pat-trois`):
 * same file tree and ATR, the beneficiary's TLV values replaced, and the project's `DF01 = TEST`
 * marker added so the card maps to the test INS OID the generator writes (1.2.250.1.213.1.4.10).
 */
export function vitaleProfileFor(template: CardProfile, person: PersonIdentity, id: string): CardProfile {
  const fileSystem = mapEfs(template.fileSystem, (ef) => {
    if (ef.fid === IDENTITY_EF) return { ...ef, content: { tlv: identityTlv(person) } };
    if (ef.fid === NIR_EF && ef.content && 'tlv' in ef.content)
      return { ...ef, content: { tlv: ef.content.tlv.map((n) => withNir(n, person.matricule)) } };
    return ef;
  });
  return parseCardProfile(
    { ...template, id, label: `Vitale de banc d’essai ${id}`, description: undefined, fileSystem },
    `bench:${id}`,
  );
}

export function vitaleCardFor(template: CardProfile, person: PersonIdentity, id: string): VirtualCard {
  return createVirtualCard(vitaleProfileFor(template, person, id));
}

function identityTlv(person: PersonIdentity): TlvSpec[] {
  const firstName = person.firstNames.split(' ')[0] ?? person.firstNames;
  return [
    {
      tag: '65',
      children: [
        // The card carries the name in use, upper case, like a real Vitale.
        { tag: '80', text: (person.usedName ?? person.birthName).toUpperCase() },
        { tag: '81', text: firstName.toUpperCase() },
        { tag: '82', text: person.birthDate.replaceAll('-', '') },
        { tag: '90', text: 'FRA' },
        { tag: '93', text: person.matricule },
      ],
    },
    { tag: '66', children: [{ tag: '80', text: '20210115' }] },
    { tag: 'DF01', text: 'TEST' },
  ];
}

function withNir(node: TlvSpec, nir: string): TlvSpec {
  if (node.tag.toUpperCase() === '93') return { tag: node.tag, text: nir };
  if (node.tag === '65' && node.children)
    return { ...node, children: node.children.map((c) => withNir(c, nir)) };
  return node;
}

function mapEfs(df: DfSpec, map: (ef: EfSpec) => EfSpec): DfSpec {
  return {
    ...df,
    children: df.children.map((child) => (child.type === 'df' ? mapEfs(child, map) : map(child))),
  };
}

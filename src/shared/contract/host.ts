import { z } from 'zod';

/**
 * The shared DMP host (issue 13): where this workstation's dossiers live, and how it reaches them.
 * Shared with the renderer, so the settings form checks exactly what the main process will accept.
 */

/** `https://host[:port]`: an origin only, never credentials, a path, a query or a fragment. */
export function hostUrlProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'adresse invalide (attendu : https://serveur:port)';
  }
  if (url.protocol !== 'https:') return 'l’adresse du serveur DMP doit commencer par https://';
  if (url.username || url.password) return 'l’adresse ne doit pas contenir d’identifiant ni de mot de passe';
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash)
    return 'indiquez seulement https://serveur:port, sans chemin ni paramètre';
  return null;
}

export const hostUrlSchema = z
  .string()
  .trim()
  .min(1)
  .max(300)
  .superRefine((value, ctx) => {
    const problem = hostUrlProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  // One spelling for one host: `https://h:8443/` and `https://h:8443` are the same origin.
  .transform((value) => new URL(value).origin);

/** A file on this workstation, by absolute path (the main process resolves nothing relative to its cwd). */
export const localFileSchema = z
  .string()
  .trim()
  .min(2)
  .max(1024)
  .regex(/^\/[^\0]*$/, 'chemin absolu attendu (commençant par /)');

/** What the settings screen edits and `host-settings.json` stores (paths, never the keys themselves). */
export const hostSettingsSchema = z.strictObject({
  url: hostUrlSchema,
  /** The deployment CA that issued the host's certificate (PEM). */
  caFile: localFileSchema,
  /** This workstation's client certificate and private key (PEM), issued by the deployment CA. */
  certFile: localFileSchema,
  keyFile: localFileSchema,
  /** PKCS#11 module reaching the professional's card (CryptoLib CPS, OpenSC…). */
  pkcs11Module: localFileSchema.optional(),
});
export type HostSettings = z.output<typeof hostSettingsSchema>;

export const hostConnectionState = z.enum(['connected', 'unreachable', 'refused']);
export type HostConnectionState = z.infer<typeof hostConnectionState>;

/** Which DMP this workstation is using right now, for the card bar and the patient banner. */
export const hostStatusSchema = z.discriminatedUnion('mode', [
  /** The dossiers are in this workstation's own encrypted store. */
  z.object({ mode: z.literal('embedded') }),
  z.object({
    mode: z.literal('remote'),
    url: z.string(),
    state: hostConnectionState,
    /** French detail from the host client (why it is unreachable or refused). */
    message: z.string(),
    since: z.string(),
  }),
]);
export type HostStatus = z.infer<typeof hostStatusSchema>;

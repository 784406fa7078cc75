/** The IPS-FR with its own document id and set id (a new document each time, not a new version). */
export function uniqueIps(xml: string, station: number, n: number): string {
  const ext = `banc-${station}-${n}`;
  return xml
    .replace(
      '<id root="1.2.250.1.213.1.1.1.51.2024.1.1"/>',
      `<id root="1.2.250.1.213.1.1.1.51.2024.1.1" extension="${ext}"/>`,
    )
    .replace(
      '<setId root="1.2.250.1.213.1.1.1.51.2024.1"/>',
      `<setId root="1.2.250.1.213.1.1.1.51.2024.1" extension="${ext}"/>`,
    );
}

/** Bounds that keep a hostile document from exhausting memory or the stack. */
export interface XmlLimits {
  maxBytes: number;
  maxDepth: number;
  maxAttributes: number;
  maxAttributeLength: number;
  maxTextLength: number;
  maxElements: number;
}

export const defaultXmlLimits: Readonly<XmlLimits> = Object.freeze({
  // The DMP caps documents at 20 MB of payload; base64 of a scanned PDF fits under 30 MB.
  maxBytes: 30 * 1024 * 1024,
  maxDepth: 200,
  maxAttributes: 64,
  maxAttributeLength: 64 * 1024,
  // A nonXMLBody carries the whole base64 payload as one text node.
  maxTextLength: 30 * 1024 * 1024,
  // The largest CI-SIS example (IPS-FR, 1.5 MB) has a few tens of thousands; this bounds memory on a 30 MB flood of tiny elements.
  maxElements: 500_000,
});

import { createRequire as __cliCreateRequire } from 'node:module'; const require = __cliCreateRequire(import.meta.url);
var e=Object.freeze({maxBytes:31457280,maxDepth:200,maxAttributes:64,maxAttributeLength:65536,maxTextLength:31457280,maxElements:5e5});export{e as a};
//# sourceMappingURL=chunk-WXF55JHE.mjs.map

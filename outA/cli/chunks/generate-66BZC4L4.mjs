import { createRequire as __cliCreateRequire } from 'node:module'; const require = __cliCreateRequire(import.meta.url);
import{a,b}from"./chunk-PZHSXST5.mjs";import"./chunk-HHJ3NN5N.mjs";import"./chunk-X6RTA73K.mjs";import"./chunk-G2MGTRV5.mjs";import"./chunk-XVDI5HMX.mjs";export{a as defaultReferenceDate,b as generateCommand};
//# sourceMappingURL=generate-66BZC4L4.mjs.map

import { createRequire as __cliCreateRequire } from 'node:module'; const require = __cliCreateRequire(import.meta.url);
import{b as r,c as i}from"./chunk-XVDI5HMX.mjs";var o=i((p,e)=>{e.exports=r("sql.js")});export{o as a};
//# sourceMappingURL=chunk-A2UCJEXG.mjs.map

import { createRequire as __cliCreateRequire } from 'node:module'; const require = __cliCreateRequire(import.meta.url);
import{a as t}from"./chunk-XVDI5HMX.mjs";var n=class{static{t(this,"SerialQueue")}tail=Promise.resolve();run(e){let i=this.tail.then(e,e);return this.tail=i.catch(()=>{}),i}idle(){return this.tail.then(()=>{})}};export{n as a};
//# sourceMappingURL=chunk-NSG2O4AR.mjs.map

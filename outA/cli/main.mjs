import { createRequire as __cliCreateRequire } from 'node:module'; const require = __cliCreateRequire(import.meta.url);
import{a as h}from"./chunks/chunk-PZHSXST5.mjs";import{a as u}from"./chunks/chunk-SLVNVGF5.mjs";import"./chunks/chunk-PIU5RYT6.mjs";import{a as c,b as p,c as l,f}from"./chunks/chunk-HHJ3NN5N.mjs";import"./chunks/chunk-X6RTA73K.mjs";import"./chunks/chunk-G2MGTRV5.mjs";import{a as o}from"./chunks/chunk-XVDI5HMX.mjs";import{resolve as C}from"node:path";var y=`Poste DMP \u2014 commandes

  cards [--json]                         lecteurs et cartes pr\xE9sentes (aucun code demand\xE9)
  import <fichier.xml\u2026> [--create]       d\xE9pose des documents CDA dans le dossier de leur INS
  summary <INS> [--json] [--as-of DATE]  synth\xE8se d'urgence d'un dossier (lecture seule)
  reextract                              relit les documents import\xE9s avec d'anciennes r\xE8gles d'extraction
                                         et met \xE0 jour les informations qui en sont tir\xE9es (synth\xE8se)
  audit verify                           v\xE9rifie la tra\xE7abilit\xE9 (lecture seule : cha\xEEne, HMAC, points de contr\xF4le)
  audit export-checkpoints               exporte les points de contr\xF4le sign\xE9s et leur cl\xE9 publique
  generate --patients N [--seed S] [--reference-date AAAA-MM-JJ]
                                         g\xE9n\xE8re une population synth\xE9tique (date par d\xE9faut : ${h})

Options communes :
  --data DOSSIER      dossier de donn\xE9es (celui qui contient \xAB store/ \xBB et \xAB store.key \xBB ;
                      d\xE9faut : $POSTE_DMP_DATA, sinon ${u()})
  --wait [SECONDES]   attendre qu'une autre instance lib\xE8re le dossier (d\xE9faut ${f} s)
                      au lieu d'\xE9chouer aussit\xF4t`;async function P(t){let a=D(t[0])?import("./chunks/in-thread-store-CCH2EK6E.mjs").then(r=>r.prestartStoreInThisThread()):void 0;try{return await g(t,()=>{let r=a;return a=void 0,r})}finally{await a?.then(r=>r.dispose(),()=>{})}}o(P,"main");function D(t){return t==="import"||t==="summary"||t==="generate"||t==="reextract"}o(D,"opensStore");async function g(t,a){let[r,...n]=t,d=p,i=l,s={out:d,err:i,open:o(async e=>{let m=await a();return(await import("./chunks/data-folder-dmp-NEOHTXK6.mjs")).openDataFolderDmp({...e,dataDir:C(e.dataDir),snapshotReading:"on-demand",...m?{prestartedStore:m}:{}},i)},"open"),defaultDataDir:u()};switch(r){case"cards":{let{cardsCommand:e}=await import("./chunks/cards-LODHL6XA.mjs");return e(n,d,{},i)}case"import":{let{importCommand:e}=await import("./chunks/import-C5BOD2Z6.mjs");return e(n,s)}case"summary":{let{summaryCommand:e}=await import("./chunks/summary-H46FN5V3.mjs");return e(n,s)}case"reextract":{let{reextractCommand:e}=await import("./chunks/reextract-T6JB42UP.mjs");return e(n,s)}case"audit":{let{auditCommand:e}=await import("./chunks/audit-LLFDKXKV.mjs");return e(n,s)}case"generate":{let{generateCommand:e}=await import("./chunks/generate-66BZC4L4.mjs");return e(n,s)}case void 0:case"help":case"--help":case"-h":return d(y),c.ok;default:return i(`Commande inconnue : ${r}

${y}`),c.usage}}o(g,"runCommand");export{P as main};
//# sourceMappingURL=main.mjs.map

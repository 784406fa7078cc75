export * from './categories';
export * from './document-types';
export * from './professions';
export * from './habilitations';
export * from './access-policy';
export * from './visibility';

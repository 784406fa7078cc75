export { createVirtualCard, EmulatedCard } from './card-os';
export {
  loadCardProfiles,
  parseCardProfile,
  cardProfileSchema,
  CardProfileError,
  type CardProfile,
} from './profile';
export type { VirtualCard } from './virtual-card';

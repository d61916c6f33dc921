export { HOOK_PATTERNS, type HookPattern } from './hook-patterns.ts';
export { loadPersonaLibrary } from './library.ts';
export {
  findPersonaById,
  findPersonaBySlug,
  insertLibraryPersonas,
  insertPersona,
  listAllPersonas,
  listAutopilotPersonas,
  PERSONA_SORTS,
  type PersonaSort,
} from './persona.repository.ts';
export {
  type Autopilot,
  type Persona,
  type PersonaFields,
  personaFieldsSchema,
  personaPatchSchema,
} from './persona.schema.ts';
export { createPersonasService, type PersonasService } from './personas.service.ts';
export { loadMaterialLibrary, materialFor, type PersonaMaterial } from './material.ts';

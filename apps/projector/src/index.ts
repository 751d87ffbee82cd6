export { ProjectorModule, type ProjectorOptions } from './projector.module.js';

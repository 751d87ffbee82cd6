import { Module } from '@nestjs/common';
import { ProjectionsAdminController } from './projections-admin.controller.js';

@Module({ controllers: [ProjectionsAdminController] })
export class ProjectionsAdminModule {}

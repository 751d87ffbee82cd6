import { Module } from '@nestjs/common';
import { CommandsModule } from '../shell/commands.module.js';
import { CatalogController } from './catalog.controller.js';
import { ImportCatalogHandler } from './import-catalog.command.js';

@Module({
  imports: [CommandsModule],
  controllers: [CatalogController],
  providers: [ImportCatalogHandler],
})
export class CatalogModule {}

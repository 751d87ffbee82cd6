import { ChangeDetectionStrategy, Component, input, model } from '@angular/core';
import { BuildVisibility } from '../core/api/api-types';

/** A build's name and who can see it: the same two fields when creating a build and in its settings. */
@Component({
  selector: 'app-build-name-fields',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="field">
      <label [attr.for]="idPrefix() + '-name'">{{ nameLabel() }}</label>
      <input [id]="idPrefix() + '-name'" name="name" required maxlength="120" [value]="name()" (input)="name.set($any($event.target).value)" placeholder="e.g. Touring setup" />
    </div>
    <div class="field">
      <label [attr.for]="idPrefix() + '-visibility'">Who can see it</label>
      <select [id]="idPrefix() + '-visibility'" name="visibility" (change)="visibility.set($any($event.target).value)">
        <option value="private" [selected]="visibility() === 'private'">Only me</option>
        <option value="unlisted" [selected]="visibility() === 'unlisted'">Anyone with the link</option>
        <option value="public" [selected]="visibility() === 'public'">Public</option>
      </select>
    </div>
  `,
})
export class BuildNameFields {
  readonly idPrefix = input.required<string>();
  readonly nameLabel = input('Build name');
  readonly name = model.required<string>();
  readonly visibility = model.required<BuildVisibility>();
}

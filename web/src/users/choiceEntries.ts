import type { MenuEntry } from '../ui/MenuButton';
import { choiceGroup, type ActionChoice } from './actions';

/** Menu entries for choices, with a line between their groups. */
export function choiceEntries(
  choices: readonly ActionChoice[],
  labelOf: (choice: ActionChoice) => string,
  onChoose: (choice: ActionChoice) => void,
): MenuEntry[] {
  return choices.map((choice, i) => ({
    key: choice,
    label: labelOf(choice),
    groupStart: i > 0 && choiceGroup(choices[i - 1]!) !== choiceGroup(choice),
    onSelect: () => onChoose(choice),
  }));
}

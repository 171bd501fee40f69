// HTML5 drag and drop in happy-dom: its DragEvent carries no DataTransfer and its DataTransfer
// lists no "Files" type, so tests make the events and transfers a browser would.
export type DragType = 'dragstart' | 'dragenter' | 'dragover' | 'dragleave' | 'drop';

/** Dispatches a drag event carrying `dataTransfer`; answers it (defaultPrevented says it was accepted). */
export function drag(element: Element, type: DragType, dataTransfer: DataTransfer): DragEvent {
  const event = new Event(type, { bubbles: true, cancelable: true }) as DragEvent;
  Object.defineProperty(event, 'dataTransfer', { value: dataTransfer });
  element.dispatchEvent(event);
  return event;
}

/** What dragging a folder from the file manager carries: a File, and the type "Files". */
export function filesTransfer(...files: File[]): DataTransfer {
  const transfer = new DataTransfer();
  for (const file of files) transfer.items.add(file);
  Object.defineProperty(transfer, 'types', { value: ['Files'] });
  return transfer;
}

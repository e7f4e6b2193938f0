// The space the App gives the pane body.
export interface PaneSize {
  width: number;
  height: number;
}

export class MasterConnection {}
export class SlaveConnection {}

export const ptBR: Record<string, string> = {};

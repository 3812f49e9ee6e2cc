export interface Product {
  sku: string;
  name: string;
  price: string;
  category: string;
}

export const PRODUCTS: readonly Product[] = [
  { sku: 'JKT-1', name: 'Trail jacket', price: '€129', category: 'outerwear' },
  { sku: 'HAT-2', name: 'Merino beanie', price: '€25', category: 'accessories' },
  { sku: 'BOT-3', name: 'Hiking boots', price: '€149', category: 'footwear' },
  { sku: 'PON-4', name: 'Rain poncho', price: '€39', category: 'outerwear' },
];
